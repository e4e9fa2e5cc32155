// Package commands reads the play-by-mail commands in the text of a mail,
// the GalaxyNG way:
//
//	#GALAXY <game> <race> <password> [<turn>] [FINALORDERS]
//	...orders...
//	#END
//
//	#REPORT <game> <race> <password> [<turn>]
//
//	#RELAY <game> <race> <password> <to-race>|ALL
//	...message...
//	#END
//
// Keywords are case-insensitive; arguments are separated by spaces or tabs
// and may be double-quoted to hold spaces ("Andromeda Rising"). Quoted reply
// lines (starting with '>') and everything from a signature line ("-- ")
// on are not read. Anything else outside a command is the player's own text
// and is ignored.
//
// Every problem is a Mistake with the 1-based line number in the text as
// given, quoted lines included, so that a reply can point the player at what
// they wrote. Parsing is pure and linear in the size of the text.
package commands
