def cpu(seconds): pass
