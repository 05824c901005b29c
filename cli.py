"""Run the graphmodel command line from a checkout: python cli.py gaps."""

from graphmodel.cli import main

if __name__ == "__main__":
    main()
