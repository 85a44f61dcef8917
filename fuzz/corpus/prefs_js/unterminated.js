// Mozilla User Preferences
user_pref("mail.account.account1.server", "server1");
user_pref("mail.server.server1.hostname", "imap.gmail.com);
user_pref("mail.server.server1.type", "imap");
