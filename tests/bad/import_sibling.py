# Bad input (path handling): imports sibling_mod.py from the scenario's own directory.
import os

import sibling_mod

print(sibling_mod.GREETING)
print(sibling_mod.double(21))
print(os.path.basename(sibling_mod.__file__))
