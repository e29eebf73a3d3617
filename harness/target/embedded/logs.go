package embedded

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// maxLogLine bounds a line held while waiting for its newline.
const maxLogLine = 64 << 10

// logSink receives a program's stdout and stderr: each line goes to the
// log func as "service | line" and, when the run has an artifact dir, to
// the file service.log there (appended across restarts).
type logSink struct {
	service string
	log     func(string)

	mu   sync.Mutex
	buf  []byte
	file *os.File
}

// newLogSink opens dir/service.log when dir is not empty.
func newLogSink(service, dir string, log func(string)) (*logSink, error) {
	l := &logSink{service: service, log: log}
	if dir == "" {
		return l, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("log dir for %s: %w", service, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, service+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("log file for %s: %w", service, err)
	}
	l.file = f
	return l, nil
}

// Path is the log file, or "".
func (l *logSink) Path() string {
	if l.file == nil {
		return ""
	}
	return l.file.Name()
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		_, _ = l.file.Write(p)
	}
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.emit(l.buf[:i])
		l.buf = l.buf[i+1:]
	}
	if len(l.buf) > maxLogLine {
		l.emit(l.buf)
		l.buf = l.buf[:0]
	}
	return len(p), nil
}

// Flush emits a last line without its newline.
func (l *logSink) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > 0 {
		l.emit(l.buf)
		l.buf = l.buf[:0]
	}
}

func (l *logSink) emit(line []byte) {
	if l.log != nil {
		l.log(l.service + " | " + string(bytes.TrimRight(line, "\r")))
	}
}

// Close flushes and closes the file. Safe twice.
func (l *logSink) Close() error {
	l.Flush()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return nil
	}
	err := l.file.Close()
	l.file = nil
	return err
}
