"""`make bench`: every benchmark, one after another (none of them runs in `make test`)."""
import sys

from benchmarks import devplans, ocr, restoration, scale

if __name__ == "__main__":
    rc = restoration.main([])
    rc |= ocr.main([])
    rc |= scale.main([])
    rc |= devplans.main(["--adapt"])
    sys.exit(rc)
