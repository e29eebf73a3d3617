package kind_test

import (
	"fmt"

	"github.com/gameday-dev/gameday/harness/fault/kind"
)

func ExampleParse() {
	f, err := kind.Parse("http", map[string]string{"delay": "900ms", "variation": "150ms", "error-rate": "0.05", "error-code": "503"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	_, err = kind.Parse("http", map[string]string{"error-rate": "0.5", "error-code": "200"})
	fmt.Println(err)
	// Output:
	// http: delay 900ms±150ms, 5% errors (503)
	// http: error code 200 is not an HTTP error status (400–599)
}
