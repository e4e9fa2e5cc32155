// Package inbound is play by mail, the GalaxyNG way: players send
// `#GALAXY … #END` orders, `#REPORT` requests and `#RELAY` messages to
// orders@<domain>, and get a reply for every command.
//
// Two doors lead in — an SMTP listener (Listener) and the providers' webhook
// (POST /api/v1/internal/mail/inbound) — and one pipeline follows: Receive
// stores the raw message in inbound_mails and queues its processing (a River
// job) in the same transaction, before the door answers 250 or 202, so a
// crash after the answer loses nothing; a Message-ID seen before is stored
// once and processed once. The job parses the text (mailtext), reads the
// commands (commands), authenticates each by the sender's account address
// and the membership's orders password, runs it through the same services
// the HTTP API uses, and replies, threaded under the player's mail. Every
// effect is keyed by the inbound mail and the command's position, so a
// retried job repeats none.
package inbound
