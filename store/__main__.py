from store.cli import run

run()
