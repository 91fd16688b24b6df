// compose-check loads a Compose file the way `docker compose` does, with compose-go (the library
// inside docker compose): interpolation (a `${VAR:?message}` that is unset stops it with that
// message), validation against the Compose specification's schema, and normalisation. It prints
// the resulting model as JSON for the tests to read, or the loader's error and exits 1.
//
//	compose-check [-env-file FILE] docker-compose.yml
//
// Only the env file is read, never this process's environment, so a check does not depend on
// the shell it runs in. Every profile is enabled, so services behind one are checked too.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "variables to interpolate (KEY=value lines)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env-file FILE] docker-compose.yml")
		os.Exit(2)
	}
	options := []cli.ProjectOptionsFn{cli.WithProfiles([]string{"*"})}
	if *envFile != "" {
		options = append(options, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	projectOptions, err := cli.NewProjectOptions([]string{flag.Arg(0)}, options...)
	if err != nil {
		fail(err)
	}
	project, err := projectOptions.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	model, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(model))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
