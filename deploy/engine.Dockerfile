# galaxy-engine image: the static binary on scratch, nothing else.
#
# The binary is built outside Docker (see deploy/engine.mk, target
# engine-image) because no base image, golang included, can be pulled on the
# build machines. The build context is the directory that target prepares:
#
#   galaxy-engine   the binary, CGO_ENABLED=0
#   state/          an empty directory, copied as /state owned by 65534 so the
#                   unprivileged engine can write its state there (scratch has
#                   no shell to mkdir/chown at build time)
FROM scratch

COPY --chown=0:0 galaxy-engine /galaxy-engine
COPY --chown=65534:65534 state /state

# nobody:nogroup; scratch has no /etc/passwd, so numeric ids.
USER 65534:65534

ENV GALAXY_ENGINE_ADDR=:8090 \
    GALAXY_ENGINE_STATE_DIR=/state

EXPOSE 8090
# A named or anonymous volume at /state starts as a copy of the image's
# directory, owner included, so it is writable by the engine too.
VOLUME /state

ENTRYPOINT ["/galaxy-engine"]
