from seed.cli import run

run()
