from lstui.cli import run

run()
