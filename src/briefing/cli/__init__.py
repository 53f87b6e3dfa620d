"""The command line: argument parsing (:mod:`.main`) and the subcommands (:mod:`.commands`)."""
