# Bad input: a syntax error (unclosed parenthesis on line 4).
print("this line is fine")

print("missing parenthesis"
x = 1
