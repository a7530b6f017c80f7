# Un escenario que ni siquiera es Python válido.
print("hola"
