"""How an executor fails as a whole (as opposed to one document failing)."""


class ExecutorError(Exception):
    """The executor cannot run at all (engine not installed, cluster unreachable or unfit)."""
