"""Papers: the bibliography, the card of a note's paper, the paper index, inline citations."""
