"""One wrapper per external program (as ocrmypdf's `_exec/`): the only modules that start them.

Each wrapper finds its program, runs it in one threading style and turns its
failures into a `StageError` with one clear line, so the readers never build
command lines or parse a program's output themselves.
"""
