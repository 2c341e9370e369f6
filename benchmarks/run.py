"""`make bench`: every benchmark, one after another (none of them runs in `make test`)."""
import sys

from benchmarks import ocr, restoration

if __name__ == "__main__":
    rc = restoration.main([])
    rc |= ocr.main([])
    sys.exit(rc)
