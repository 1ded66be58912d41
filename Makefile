# Two commands: `make run` plays with the shipped model, `make test` runs the tests (`make fuzz` fuzzes).
# Both install what is missing first (system packages through apt).
SWIFT ?= swift
CHECKPOINT ?= checkpoints/shakespeare-gru512.safetensors
# `make install` puts the release binary in $(PREFIX)/bin and the shipped checkpoints in
# $(PREFIX)/share/charrnn/checkpoints, where the installed binary looks for them.
PREFIX ?= /usr/local
SHARE = $(DESTDIR)$(PREFIX)/share/charrnn

.PHONY: run test fuzz interop-test deps build release bench clean install uninstall

run: release
	.build/release/charrnn play --checkpoint $(CHECKPOINT)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Coverage-guided fuzzing (Fuzz/) of the checkpoint, training-state and JSON decoders, FUZZ_SECONDS each;
# fails on a crash and leaves its input in .build-fuzz/crashes/. The toolchain ships libFuzzer.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) scripts/fuzz

# PyTorch/Keras interop (python/): installs torch, pytest and tensorflow-cpu from PyPI if missing.
interop-test: build
	CHARRNN_BIN=$(CURDIR)/.build/debug/charrnn python/run-interop-tests --with-keras

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product charrnn

bench: release
	.build/release/charrnn bench

clean:
	rm -rf .build .build-fuzz

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/checkpoints
	install -m 755 .build/release/charrnn $(DESTDIR)$(PREFIX)/bin/charrnn
	install -m 644 checkpoints/*.safetensors checkpoints/README.md $(SHARE)/checkpoints

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/charrnn
	rm -rf $(SHARE)
