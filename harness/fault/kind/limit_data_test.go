package kind

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLimitData(t *testing.T) {
	f, err := Parse("limit-data", map[string]string{"bytes": "2Ki"})
	require.NoError(t, err)
	assert.Equal(t, LimitData{Bytes: 2048}, f)
	assert.Equal(t, "tcp limit-data: close after 2Ki", f.String())
	assert.Equal(t, Toxic{Type: "limit_data", Attributes: map[string]any{"bytes": int64(2048)}}, f.(TCP).Toxic())
	_, err = Parse("limit-data", map[string]string{"bytes": "0"})
	assert.ErrorContains(t, err, "limit-data: 0 bytes is below 1")
	d, _ := Lookup("limit-data")
	assert.Equal(t, "tcp", d.CommandName(), "offered by `gameday fault tcp --limit-data`")
}
