"""The ``keras-course`` command: ``run`` notebooks headlessly, manage ``data``."""

import argparse
import signal
import sys
import time

from keras_course import cli_data


def _run(args):
    from keras_course import runner  # needs nbclient and tqdm, which `keras-course data` does not

    start = time.perf_counter()
    signal.signal(signal.SIGTERM, _terminate)  # a SIGTERM stops the run as Ctrl-C does, kernels included
    try:
        rows = runner.run(args.notebooks, quick=args.quick, timeout=args.timeout, jobs=args.jobs)
    except FileNotFoundError as exc:
        print(f"keras-course run: {exc}", file=sys.stderr)
        return 2
    except runner.Interrupted as stop:
        for signum in (signal.SIGINT, signal.SIGTERM):  # the run is over: a further Ctrl-C must not cut the table
            signal.signal(signum, signal.SIG_IGN)
        print("\ninterrupted: every kernel was shut down. The notebooks run so far:")
        runner.print_table(stop.rows, seconds=time.perf_counter() - start, jobs=min(args.jobs, len(stop.rows)))
        return 130
    runner.print_table(rows, seconds=time.perf_counter() - start, jobs=min(args.jobs, len(rows)))
    if not all(row.ok for row in rows):
        return 1
    return 3 if any(row.synthetic for row in rows) and not args.allow_synthetic else 0


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    """Parse ``argv`` (default: the command line), run the subcommand and return its exit code."""
    parser = argparse.ArgumentParser(prog="keras-course", description="Tools for the Keras hands-on course.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = subparsers.add_parser(
        "run",
        help="execute notebooks headlessly and tabulate their results",
        description="Execute notebooks in fresh kernels (outputs are not saved) and print a results table. "
        "Exit code 1 if any notebook failed, 3 if they all passed but one ran on the synthetic stand-in for "
        "a dataset (see --allow-synthetic), 130 when Ctrl-C (or SIGTERM) stopped the run: every kernel is "
        "shut down and the table shows how far each notebook got.",
    )
    run.add_argument("--quick", action="store_true", help="set KERAS_COURSE_QUICK=1: small subsets, few epochs")
    run.add_argument(
        "--jobs", type=int, default=1, metavar="N",
        help="notebooks to run at once, each in its own kernel (default 1: one after the other, "
        "so that each notebook's time is its own)",
    )
    run.add_argument(
        "--allow-synthetic", action="store_true",
        help="exit 0 even when a notebook ran on synthetic data (offline, no mirror); its status still says so")
    run.add_argument("--timeout", type=int, default=1800, metavar="S", help="seconds allowed per cell (default 1800)")
    run.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK",
        help="a notebook path or short name (00, 00-setup); default: every solutions/*/*.ipynb",
    )
    run.set_defaults(func=_run)

    cli_data.add_parser(subparsers)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # python -m keras_course.cli, as the console script
    sys.exit(main())
