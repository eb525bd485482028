#!/usr/bin/env python3
# bench/anchors/race.py: the race lesson as the seed teaches it in Python,
# for bench/race-bench.sh to time beside `lockstep run race-processes.scn`.
#
# Two processes each add 1 to a multiprocessing.Value 100000 times
# without its lock (value += 1 is a load then a store), so updates are
# lost; it prints the end value. Written for the bench, not copied.
import multiprocessing
import sys


def adder(counter, n):
    for _ in range(n):
        counter.value += 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=adder, args=(counter, n))
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(counter.value)


if __name__ == "__main__":
    main()
