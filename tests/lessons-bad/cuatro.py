# Imprime 4: el escenario de las lecciones rotas que necesitan uno que sí
# funcione.
print(2 + 2)
