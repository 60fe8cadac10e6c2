# The minyi image: one static binary (templates, static files, migrations and
# tzdata embedded) on distroless, running as nonroot (uid 65532).
#   docker build -t minyi .
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e MINYI_SECRET=... -p 8080:8080 minyi
# deploy/compose.yaml runs it with PostgreSQL and Redis.
FROM golang:1.27-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/minyi ./cmd/minyi

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/minyi /minyi
USER nonroot:nonroot
ENV MINYI_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/minyi"]
CMD ["serve"]
