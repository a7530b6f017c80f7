# sys.exit("message") prints the message on stderr and exits with status 1.
import sys

print("stdout before exit")
sys.stderr.write("stderr before exit\n")
try:
    sys.exit(0)
except SystemExit as e:
    print("caught SystemExit code", e.code)
sys.exit("fatal: configuration missing")
