FROM lab/rootfs:bookworm
ARG BIN
COPY $BIN /usr/local/bin/$BIN
ENTRYPOINT []
CMD []
