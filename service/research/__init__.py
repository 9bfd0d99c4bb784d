"""Research exports: reviewed ads in the labelled-data schema with every identity pseudonymised."""
