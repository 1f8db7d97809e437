package org.vettedaccess.policy.incident;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One status change of a report, with its ledger leaf. */
@Entity
@Table(name = "incident_events")
public class IncidentEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "incident_id")
    public UUID incidentId;

    public String status;

    /** The triager's subject id. */
    public String actor;

    public Instant at;

    /** Null only while a one-click kill switch's mitigated leaf waits in the outbox. */
    @Column(name = "leaf_index")
    public Long leafIndex;

    public String severity;

    public String reason;

    public String mitigation;

    @Column(name = "change_ref")
    public String changeRef;

    @Column(name = "switch_id")
    public UUID switchId;
}
