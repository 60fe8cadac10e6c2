package main

import "testing"

// TestPasswordFile creates the first admin and changes a password from files, as the
// first-deploy Job does with a mounted Secret on an image without a shell.
func TestPasswordFile(t *testing.T) {
	_, write := commandEnv(t)
	good := write("password", "first-admin-password\n")
	short := write("short", "short\n")
	runCommands(t, []invocation{
		{args: []string{"user", "create", "--username", "admin", "--role", "admin", "--password-file", short}, wantErr: "密码至少 8 位"},
		{args: []string{"user", "create", "--username", "admin", "--role", "admin", "--password-file", good}, want: "user admin created (admin)"},
		{args: []string{"user", "passwd", "--username", "admin", "--password-file", good}, want: "password of admin changed"},
		{args: []string{"user", "create", "--username", "admin2", "--role", "admin", "--password-file", good + ".missing"}, wantErr: "no such file"},
		{args: []string{"token", "create", "--user", "admin", "--name", "dashboard"}, want: "myt_"},
	})
}
