"""The one access policy: can / require / restrict and the facts the rules use."""
