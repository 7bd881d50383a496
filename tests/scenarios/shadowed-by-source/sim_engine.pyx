# extprobe scenario shadowed-by-source: the Cython module of the seed story
# (rustybt.gens.sim_engine), compiled by cython3 + gcc for each interpreter.
SESSION_END = 4

cpdef int next_session(int day):
    return day + SESSION_END
