package io.earshot.pipeline.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes the topics of a list of {@link TopicPlan}s on a cluster, idempotently: a topic that
 * exists already is reported and left as it is (its configs are the operator's; changing them
 * is {@code kafka-configs}' job), with a warning when its partition count is not the plan's,
 * since per-call order and the job's parallelism depend on it.
 */
public final class TopicCreator {

    /** What happened to one topic. */
    public enum Status { CREATED, EXISTS }

    /**
     * @param plan               the topic as planned
     * @param status             created now, or there already
     * @param existingPartitions the partitions of an existing topic; the plan's for a created one
     */
    public record Outcome(TopicPlan plan, Status status, int existingPartitions) {

        /** Whether an existing topic has another partition count than planned. */
        public boolean partitionsDiffer() {
            return existingPartitions != plan.partitions();
        }

        /** One line for the operator: created, exists, or a warning. */
        public String describe() {
            return switch (status) {
                case CREATED -> "created " + plan.describe();
                case EXISTS -> partitionsDiffer()
                        ? "WARNING " + plan.name() + " exists with " + existingPartitions + " partitions, not "
                                + plan.partitions() + ": per-call order holds, but the job's parallelism beyond "
                                + existingPartitions + " reads nothing (left as it is)"
                        : "exists  " + plan.name() + " partitions=" + existingPartitions + " (left as it is)";
            };
        }
    }

    private final Admin admin;
    private final long timeoutSeconds;

    public TopicCreator(Admin admin, long timeoutSeconds) {
        this.admin = admin;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Creates every planned topic that does not exist, in one request.
     *
     * @throws KafkaException when the cluster cannot be reached or refuses a topic (e.g. more
     *                        replicas than brokers), with the cluster's reason
     */
    public List<Outcome> create(List<TopicPlan> plans) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS);
            Map<String, Integer> partitions = new HashMap<>();
            List<String> there = plans.stream().map(TopicPlan::name).filter(existing::contains).toList();
            if (!there.isEmpty()) {
                Map<String, TopicDescription> described = admin.describeTopics(there).allTopicNames()
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                described.forEach((name, d) -> partitions.put(name, d.partitions().size()));
            }
            List<NewTopic> toCreate = plans.stream().filter(p -> !existing.contains(p.name()))
                    .map(p -> new NewTopic(p.name(), p.partitions(), p.replicationFactor()).configs(p.configs()))
                    .toList();
            var created = admin.createTopics(toCreate);
            List<Outcome> out = new ArrayList<>();
            for (TopicPlan plan : plans) {
                if (existing.contains(plan.name())) {
                    out.add(new Outcome(plan, Status.EXISTS, partitions.get(plan.name())));
                    continue;
                }
                try {
                    created.values().get(plan.name()).get(timeoutSeconds, TimeUnit.SECONDS);
                    out.add(new Outcome(plan, Status.CREATED, plan.partitions()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // made by someone else meanwhile: report it like any existing topic
                    int n = admin.describeTopics(List.of(plan.name())).allTopicNames()
                            .get(timeoutSeconds, TimeUnit.SECONDS).get(plan.name()).partitions().size();
                    out.add(new Outcome(plan, Status.EXISTS, n));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new KafkaException("creating the topics failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("the Kafka cluster did not answer within " + timeoutSeconds + " s", e);
        }
    }
}
