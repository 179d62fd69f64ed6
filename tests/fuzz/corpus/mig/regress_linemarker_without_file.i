# 1 ""
# 0
subsystem empty_linemark 100;
