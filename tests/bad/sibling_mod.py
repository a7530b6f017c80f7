# Helper module imported by import_sibling.py from the same directory.
GREETING = "hola desde sibling_mod"


def double(x):
    return 2 * x
