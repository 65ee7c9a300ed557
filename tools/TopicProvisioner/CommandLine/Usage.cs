namespace TopicProvisioner.CommandLine;

internal static class Usage
{
    public const string Text = """
        Usage: TopicProvisioner --bootstrap-servers <host:port,...> [options]

        Makes a Kafka cluster's topics match the topic catalog (deploy/topics.yaml): creates missing
        topics, sets configs, then describes the cluster again to confirm. Safe to run repeatedly.
        Never changes partition counts or replication factors, and never deletes topics.

        Options:
          --bootstrap-servers <list>      Brokers to connect to.                 env KAFKA_BOOTSTRAP_SERVERS
          --catalog <path>                Catalog file (default: the catalog built into the tool).
          --dry-run                       Print the plan and change nothing.
          --apply                         Apply the plan (the default).
          --delete-unmanaged-configs      Also remove configs set on a topic but absent from the catalog.
          --max-replication-factor <n>    Lower replication factors (and min.insync.replicas) to n,
                                          for clusters with fewer than 3 brokers.
          --timeout-seconds <n>           Per-request timeout (default 30).
          --security-protocol <p>         plaintext | ssl | sasl_plaintext | sasl_ssl.  env KAFKA_SECURITY_PROTOCOL
          --sasl-mechanism <m>            PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 | ...   env KAFKA_SASL_MECHANISM
          --sasl-username <name>                                                  env KAFKA_SASL_USERNAME
          --sasl-password <secret>        Prefer the variable: arguments are visible to other processes.
                                                                                  env KAFKA_SASL_PASSWORD
          --ssl-ca-location <path>        CA certificate(s) for ssl / sasl_ssl.    env KAFKA_SSL_CA_LOCATION
          --help                          Show this text.

        Exit codes:
          0   in sync (after applying, unless --dry-run)
          1   error: cannot connect, Admin API unavailable, invalid catalog, changes did not take effect
          2   --dry-run: the cluster differs in ways applying would fix
          3   an existing topic differs in partitions or replication factor: a person must decide
              (everything else was applied, unless --dry-run)
          64  invalid command line

        """;
}
