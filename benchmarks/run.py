"""`make bench`: every benchmark, one after another (none of them runs in `make test`)."""
import sys

from benchmarks import archive_forms, devplans, ocr, restoration, scale

if __name__ == "__main__":
    rc = restoration.main([])
    rc |= ocr.main([])
    rc |= scale.main([])
    rc |= devplans.main(["--adapt"])
    rc |= archive_forms.main([])
    sys.exit(rc)
