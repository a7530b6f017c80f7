# Reuse: imported by helper_state.py.
veces = 0
