user_pref("a", "\uD83D\uDE00 \x41");
pref('b', -3); /* c */ sticky_pref("c", true);
