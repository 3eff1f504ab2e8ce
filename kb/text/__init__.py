"""Text as the pages write it: escaping for each output context, bidi runs, [[links]], Persian."""
