# Un escenario que no termina nunca (y no espera a nadie).
while True:
    pass
