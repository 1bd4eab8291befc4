package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunDefinition;
import io.deliverylab.producer.checkpoint.RunProgress;
import io.deliverylab.producer.ownership.FencingInterceptor;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.RunState;
import io.deliverylab.contract.RunView;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.LedgerEvent;
import io.deliverylab.contract.Problem;
import io.deliverylab.contract.Transfer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Types that Jackson reads or writes by reflection outside REST endpoints (checkpoints, messages, ledger events), and the interceptor Kafka instantiates by name: kept in native images. */
@RegisterForReflection(targets = {Transfer.class, DeliveryMode.class, Problem.class, RunProgress.class, RunDefinition.class,
        RunState.class, RunView.class, RunRequest.class, LedgerEvent.class, FencingInterceptor.class, PartitionProgress.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
