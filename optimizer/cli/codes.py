"""Exit codes of every command (see the package's docstring)."""

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_NO_PLAN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
