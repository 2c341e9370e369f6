"""`make bench`: every benchmark, one after another."""
import sys

from benchmarks import restoration

if __name__ == "__main__":
    sys.exit(restoration.main(sys.argv[1:]))
