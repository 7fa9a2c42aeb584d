"""Allow ``python -m fitness``."""

from fitness.cli import main

if __name__ == "__main__":
    main()
