# Bad input (path handling): prints argv after the script, __name__, basename of __file__, absoluteness.
import os
import sys

print(sys.argv[1:])
print(__name__)
print(os.path.basename(__file__))
print(os.path.isabs(__file__))
