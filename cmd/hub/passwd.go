package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/hub/web"
)

func init() {
	var usersFile string
	cmd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "add or replace a user of the page in the users file (password read from stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(os.Stderr, "password for %s (first line of stdin): ", args[0])
			pw, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && pw == "" {
				return fmt.Errorf("reading the password: %w", err)
			}
			line, err := web.HashPassword(args[0], strings.TrimRight(pw, "\r\n"))
			if err != nil {
				return err
			}
			return setUser(usersFile, args[0], line)
		},
	}
	cmd.Flags().StringVar(&usersFile, "users", "/etc/trapnet/hub.users", "users file")
	rootCmd.AddCommand(cmd)
}

// setUser replaces name's line in path (or appends it), mode 0600.
func setUser(path, name, line string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var out []string
	for _, l := range strings.Split(strings.TrimRight(string(old), "\n"), "\n") {
		if l != "" && !strings.HasPrefix(l, name+":") {
			out = append(out, l)
		}
	}
	out = append(out, line)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(out, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
