package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Problem;
import io.deliverylab.contract.Transfer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Types that Jackson reads or writes by reflection outside REST endpoints (messages): kept in native images. */
@RegisterForReflection(targets = {Transfer.class, DeliveryMode.class, Problem.class, SummaryResource.Summary.class,
        SummaryResource.Balance.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
