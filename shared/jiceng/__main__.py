from jiceng.cli.main import app

app()
