# Uncaught exception with an explicit cause and an implicit context: chained traceback, exit 1.
class ConfigError(Exception):
    pass


def load(text):
    try:
        return int(text)
    except ValueError as e:
        raise ConfigError(f"bad number {text!r}") from e


def main():
    try:
        load("12x")
    except ConfigError:
        cleanup = None
        cleanup.close()


main()
