from auricle.cli import main

raise SystemExit(main())
