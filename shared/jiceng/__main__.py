from jiceng.cli.main import main

main()
