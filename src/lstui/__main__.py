from lstui.cli import main

raise SystemExit(main())
