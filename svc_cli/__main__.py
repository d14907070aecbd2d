from svc_cli.cli import main

main()
