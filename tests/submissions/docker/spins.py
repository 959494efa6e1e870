# Never finishes importing; prints first so the test can see the partial log survives.
print("spinning now", flush=True)
while True:
    pass
